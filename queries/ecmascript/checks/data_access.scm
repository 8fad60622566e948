; How a file reaches its database and the network, for the DATA checks. The detector links
; captures by their byte ranges: a call whose receiver is another call continues its chain
; (`supabase.from("t").select().eq("c", v)`), arguments belong to the call around them, and
; functions, loops, branches and awaits give every chain its context.

; Calls: the links of query-builder chains, and plain calls (`fetch(url)`, `sql\`…\``).
(call_expression
  function: (member_expression
    object: (_) @call.receiver
    property: (property_identifier) @call.method)
  arguments: (_) @call.args) @call
(call_expression
  function: (identifier) @call.function
  arguments: (_) @call.args) @call

; Arguments: the first one, object literals and `table.column` references.
(arguments . (_) @arg.first)
(arguments (object) @arg.object)
(arguments
  (member_expression
    object: (identifier) @member.object
    property: (property_identifier) @member.property) @member)

; Object literals (`{ where: { orgId }, take: 20 }`).
(pair key: (_) @pair.key value: (_) @pair.value) @pair
(shorthand_property_identifier) @pair.shorthand

; String literals: delimiters and holes are blanked out to read SQL text in place.
(string "\"" @string.delimiter) @string
(string "'" @string.delimiter) @string
(template_string "`" @string.delimiter) @string
(template_substitution) @string.hole

; Context.
[
  (function_declaration)
  (function_expression)
  (arrow_function)
  (method_definition)
  (generator_function_declaration)
  (generator_function)
] @function
(await_expression) @await
(return_statement) @return
(arrow_function body: (_) @return)
(variable_declarator name: (identifier) @assign.name value: (_) @assign.value) @assign
(assignment_expression left: (identifier) @assign.name right: (_) @assign.value) @assign

; Loops whose body runs once per item. `for (…; i < 3; …)` and literal arrays are small and
; constant.
(for_in_statement right: (_) @loop.over body: (_) @loop.body) @loop
(for_statement
  condition: (binary_expression right: (number) @loop.bound)
  body: (_) @loop.body) @loop
(for_statement
  condition: (binary_expression right: (_) @loop.over)
  body: (_) @loop.body) @loop
(call_expression
  function: (member_expression
    object: (_) @loop.over
    property: (property_identifier) @loop.method
    (#any-of? @loop.method "map" "forEach" "flatMap"))
  arguments: (arguments [(arrow_function) (function_expression)] @loop.body)) @loop
(for_in_statement right: (array) @constant.list)
(call_expression function: (member_expression object: (array) @constant.list))
(variable_declarator name: (identifier) @constant.name value: (array) @constant.list)

; Branches: two writes in different arms never run together.
(if_statement consequence: (_) @arm) @branch
(if_statement alternative: (_) @arm) @branch
(switch_body (switch_case) @arm) @branch
(switch_body (switch_default) @arm) @branch
(ternary_expression consequence: (_) @arm) @branch
(ternary_expression alternative: (_) @arm) @branch
(catch_clause) @catch

; Read-modify-write in an update payload: `{ stock: product.stock - qty }`.
(pair
  key: (property_identifier) @rmw.key
  value: (binary_expression
    left: [
      (member_expression property: (property_identifier) @rmw.field)
      (parenthesized_expression (binary_expression left: (member_expression property: (property_identifier) @rmw.field)))
    ]
    operator: ["+" "-"])) @rmw
