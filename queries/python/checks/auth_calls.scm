; AUTH: every call with its callee and direct arguments.
(call
  function: (_) @callee
  arguments: (argument_list (_)* @arg) @args) @call
