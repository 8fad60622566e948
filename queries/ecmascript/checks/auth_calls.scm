; AUTH: every call with its callee and direct arguments (tagged templates included).
(call_expression
  function: (_) @callee
  arguments: (arguments (_)* @arg) @args) @call
(call_expression
  function: (_) @callee
  arguments: (template_string) @args @arg) @call
(new_expression
  constructor: (_) @callee
  arguments: (arguments (_)* @arg) @args) @call
