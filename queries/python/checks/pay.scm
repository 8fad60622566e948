; Syntax the PAY and INT detectors read (src/checks/pay.rs).

; Calls, their argument lists and keyword arguments.
(call function: (_) @callee arguments: (argument_list) @args) @call
(keyword_argument name: (identifier) @kwarg.name value: (_) @kwarg.value) @kwarg
(argument_list (dictionary_splat) @spread)

; Dictionaries and their keys.
(dictionary) @object
(pair key: (_) @pair.key value: (_) @pair.value) @pair
(dictionary (dictionary_splat) @spread)

; Attribute reads (`request.json`) and parentheses.
(attribute object: (_) @member.object attribute: (identifier) @member.property) @member
(parenthesized_expression (_) @paren.inner) @paren

; Where a value goes: assignments, keyword arguments and dictionary keys.
(assignment left: (_) @target right: (_) @value)
(augmented_assignment left: (_) @target right: (_) @value)
(keyword_argument name: (_) @target value: (_) @value)
(pair key: (_) @target value: (_) @value)

; Arithmetic and fallbacks.
(binary_operator left: (_) @bin.left operator: _ @bin.op right: (_) @bin.right) @bin
(boolean_operator left: (_) @bin.left operator: _ @bin.op right: (_) @bin.right) @bin

; Functions that may serve a request: decorated functions (@app.post("/…"), @router.get,
; @csrf_exempt) and every top-level function (Django views).
(decorated_definition
  (decorator) @handler.decorator
  definition: (function_definition name: (identifier) @handler.name) @handler)
(module (function_definition name: (identifier) @function.name) @function)
(module (decorated_definition definition: (function_definition name: (identifier) @function.name) @function))

; Model fields: `amount: float` (Pydantic, dataclasses, SQLAlchemy Mapped) and
; `price = models.FloatField()` / `Column(Float)`.
(class_definition body: (block (expression_statement
  (assignment left: (identifier) @field type: (type) @field.type)) @field.line))
(class_definition body: (block (expression_statement
  (assignment left: (identifier) @field right: (call function: (_) @field.ctor arguments: (argument_list) @field.args))) @field.line))

; Control flow, as in queries/ecmascript/checks/pay.scm.
(if_statement condition: (_) @if.cond consequence: (_) @branch @arm @if.then) @fork
(if_statement alternative: (_) @branch @arm) @fork
(conditional_expression (_) @branch @arm "if" (_) "else" (_) @branch @arm) @fork
(boolean_operator right: (_) @branch)
(for_statement body: (_) @branch)
(while_statement body: (_) @branch)
(match_statement body: (block (case_clause) @branch @arm)) @fork
(except_clause) @branch
[(function_definition) (lambda)] @closure
(try_statement body: (_) @try.body) @try
(try_statement (except_clause) @try.catch) @try
[(return_statement) (raise_statement)] @exit
(interpolation) @display
