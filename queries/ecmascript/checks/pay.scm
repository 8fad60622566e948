; Syntax the PAY and INT detectors read (src/checks/pay.rs). Shared by TypeScript, TSX and
; JavaScript; JSX display contexts are in pay_jsx.scm (tsx and javascript only).

; Calls and constructions, with their argument lists.
(call_expression function: (_) @callee arguments: (arguments) @args) @call
(new_expression constructor: (_) @callee arguments: (arguments) @args) @call

; Object literals and their keys (options bags, insert payloads).
(object) @object
(pair key: (_) @pair.key value: (_) @pair.value) @pair
(shorthand_property_identifier) @shorthand
(object (spread_element) @spread)

; Member reads (`req.body`) and parentheses (looked through when matching values).
(member_expression object: (_) @member.object property: (property_identifier) @member.property) @member
(parenthesized_expression (_) @paren.inner) @paren

; Where a value goes: declarations, assignments and object keys.
(variable_declarator name: (_) @target value: (_) @value)
(assignment_expression left: (_) @target right: (_) @value)
(augmented_assignment_expression left: (_) @target right: (_) @value)
(pair key: (_) @target value: (_) @value)

; Arithmetic and fallbacks.
(binary_expression left: (_) @bin.left operator: _ @bin.op right: (_) @bin.right) @bin

; Functions that may serve a request: a function passed to a call (Deno.serve(fn),
; app.post("/path", fn)), exported functions (Next.js route handlers, pages API routes).
(call_expression
  function: (_) @handler.callee
  arguments: (arguments [(arrow_function) (function_expression)] @handler)) @handler.call
(export_statement
  declaration: (function_declaration name: (identifier) @handler.name) @handler) @handler.export
(export_statement
  declaration: (lexical_declaration
    (variable_declarator name: (identifier) @handler.name value: [(arrow_function) (function_expression)] @handler))) @handler.export
(export_statement value: [(arrow_function) (function_expression)] @handler) @handler.export
; CommonJS and Lambda-style exports: module.exports = fn, exports.handler = fn.
(assignment_expression
  left: (member_expression) @handler.exports
  right: [(arrow_function) (function_expression)] @handler)
; A named function registered as a route: app.post("/webhook", express.raw(), handleWebhook).
(call_expression function: (_) @route.callee arguments: (arguments (identifier) @route.handler)) @route.call

; Top-level functions (units of work for INT-PARTIAL; `export default handler` names one).
(program (function_declaration name: (identifier) @function.name) @function)
(program (lexical_declaration
  (variable_declarator name: (identifier) @function.name value: [(arrow_function) (function_expression)] @function)))
(program (export_statement declaration: (function_declaration name: (identifier) @function.name) @function))
(program (export_statement declaration: (lexical_declaration
  (variable_declarator name: (identifier) @function.name value: [(arrow_function) (function_expression)] @function))))
(program (export_statement value: (identifier) @export.default))

; A function's first parameter (a serve handler without one answers a schedule, not a request).
(arrow_function parameter: (_) @param)
(formal_parameters . (_) @param)

; Control flow: code that runs on some paths only (@branch), exclusive alternatives (@fork
; and its @arm), nested functions (@closure), try bodies and their catch, exits, if
; conditions with their consequence, and values rendered as text (@display).
(if_statement condition: (_) @if.cond consequence: (_) @branch @arm @if.then) @fork
(if_statement alternative: (else_clause) @branch @arm) @fork
(ternary_expression consequence: (_) @branch @arm alternative: (_) @branch @arm) @fork
(binary_expression operator: ["&&" "||" "??"] right: (_) @branch)
(switch_statement body: (switch_body [(switch_case) (switch_default)] @branch @arm)) @fork
(for_statement body: (_) @branch)
(for_in_statement body: (_) @branch)
(while_statement body: (_) @branch)
(do_statement body: (_) @branch)
(catch_clause) @branch
[(arrow_function) (function_expression) (function_declaration) (method_definition) (generator_function_declaration)] @closure
(try_statement body: (_) @try.body) @try
(try_statement handler: (catch_clause) @try.catch) @try
[(return_statement) (throw_statement)] @exit
(template_substitution) @display
