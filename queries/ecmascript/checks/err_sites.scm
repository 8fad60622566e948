; ERR: the places where failures are caught, results discarded or promises left floating.
; Shared by TypeScript, TSX and JavaScript. Read by src/checks/err.rs.

; try { … } catch (e) { … }
(try_statement
  body: (statement_block) @try.body
  handler: (catch_clause
    parameter: (_)? @catch.param
    body: (statement_block) @catch.body) @catch)

; promise.catch(handler)
(call_expression
  function: (member_expression
    property: (property_identifier) @_catch (#eq? @_catch "catch"))
  arguments: (arguments . (_) @catch.callback)) @catch.call

; promise.then(onFulfilled) and promise.then(onFulfilled, onRejected)
(call_expression
  function: (member_expression
    object: (_) @then.target
    property: (property_identifier) @_then (#eq? @_then "then"))
  arguments: (arguments . (_) @then.callback)) @then.call

; await call(); (the result is thrown away)
(expression_statement (await_expression (call_expression) @discard.call)) @discard

; const { data, error } = await call();  const res = await call();
(variable_declarator
  name: (_) @bind.name
  value: (await_expression (call_expression) @bind.call)) @bind
(assignment_expression
  left: (_) @bind.name
  right: (await_expression (call_expression) @bind.call)) @bind

; call(); as a statement: not awaited, returned or kept
(expression_statement (call_expression) @float.call) @float


; async functions by name, for floating calls to them
(function_declaration "async" name: (identifier) @async.name body: (_) @async.body)
(variable_declarator
  name: (identifier) @async.name
  value: [(arrow_function "async" body: (_) @async.body)
          (function_expression "async" body: (_) @async.body)])

; throw statements and error results, for the style distribution
(throw_statement) @style.throw
(return_statement (object (pair key: (property_identifier) @_k (#match? @_k "^(error|errors|ok|success)$")))) @style.result

; .then(onFulfilled, onRejected): a rejection handler as the second argument
(call_expression
  function: (member_expression
    property: (property_identifier) @_then2 (#eq? @_then2 "then"))
  arguments: (arguments . (_) . (_))) @then.rejecting

; the parts of a .catch handler that is a function
(call_expression
  function: (member_expression
    property: (property_identifier) @_catch2 (#eq? @_catch2 "catch"))
  arguments: (arguments . [
    (arrow_function parameter: (_) @catch.cb.param body: (_) @catch.cb.body)
    (arrow_function parameters: (_) @catch.cb.param body: (_) @catch.cb.body)
    (function_expression parameters: (_) @catch.cb.param body: (_) @catch.cb.body)
  ])) @catch.cb

