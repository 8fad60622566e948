; OBS: calls with their arguments (log calls, server constructors, route registrations).
(call function: (_) @callee arguments: (argument_list) @args) @call
(call arguments: (argument_list . (string (string_content) @route))) @route.call
