; OBS: calls with their arguments (server constructors, route registrations).
(call_expression function: (_) @callee arguments: (argument_list) @args) @call
(call_expression arguments: (argument_list . (interpreted_string_literal) @route)) @route.call
