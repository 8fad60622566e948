; How a file reaches its database and the network, for the DATA checks (see the ecmascript
; twin): call chains (`Invoice.objects.filter(org_id=o).order_by("-created_at")`,
; `session.query(Invoice).filter(...).all()`, `cur.execute("SELECT …")`), their arguments and
; their context, linked by byte ranges.

(call
  function: (attribute
    object: (_) @call.receiver
    attribute: (identifier) @call.method)
  arguments: (_) @call.args) @call
(call
  function: (identifier) @call.function
  arguments: (_) @call.args) @call

(argument_list . (_) @arg.first)
(argument_list (keyword_argument name: (identifier) @pair.key value: (_) @pair.value) @pair) @arg.object
(argument_list
  (attribute object: (identifier) @member.object attribute: (identifier) @member.property) @member)
(comparison_operator
  . (attribute object: (identifier) @member.object attribute: (identifier) @member.property) @member)
(call
  function: (attribute
    object: (attribute object: (identifier) @member.object attribute: (identifier) @member.property) @member
    attribute: (identifier)))

; `Invoice.objects.all()[:50]` is bounded.
(subscript value: (_) @sliced subscript: (slice))

; Strings: delimiters and holes are blanked out to read SQL text in place.
[(string) (concatenated_string)] @string
(string_start) @string.delimiter
(string_end) @string.delimiter
(interpolation) @string.hole

[(function_definition) (lambda)] @function
(decorated_definition (decorator (_) @decorator) definition: (function_definition) @decorated)
(await) @await
(return_statement) @return
(assignment left: (identifier) @assign.name right: (_) @assign.value) @assign

(for_statement right: (_) @loop.over body: (_) @loop.body) @loop
(for_statement right: [(list) (tuple)] @constant.list)
(list_comprehension body: (_) @loop.body (for_in_clause right: (_) @loop.over)) @loop
(set_comprehension body: (_) @loop.body (for_in_clause right: (_) @loop.over)) @loop
(dictionary_comprehension body: (_) @loop.body (for_in_clause right: (_) @loop.over)) @loop
(generator_expression body: (_) @loop.body (for_in_clause right: (_) @loop.over)) @loop
(for_in_clause right: [(list) (tuple)] @constant.list)
(assignment left: (identifier) @constant.name right: [(list) (tuple)] @constant.list)

(if_statement consequence: (_) @arm) @branch
(if_statement alternative: (_) @arm) @branch
(except_clause) @catch

; Read-modify-write in the application: `account.balance -= amount` before a save.
(augmented_assignment
  left: (attribute attribute: (identifier) @rmw.field)
  operator: ["+=" "-="]) @rmw
(assignment
  left: (attribute attribute: (identifier) @rmw.key)
  right: (binary_operator
    left: (attribute attribute: (identifier) @rmw.field)
    operator: ["+" "-"])) @rmw
