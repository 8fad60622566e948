; OBS: calls with their arguments (log calls, server constructors, route registrations).
; Read by src/checks/obs.rs.
(call_expression function: (_) @callee arguments: (arguments) @args) @call
(new_expression constructor: (_) @callee arguments: (arguments) @args) @call
(call_expression arguments: (arguments . [(string (string_fragment) @route) (template_string) @route])) @route.call
