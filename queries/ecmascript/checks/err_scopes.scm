; ERR: function bodies (the scope of a binding) and named functions (the hook a mutation
; belongs to). Run only on files that need them. Read by src/checks/err.rs.
(function_declaration body: (_) @scope)
(function_expression body: (_) @scope)
(arrow_function body: (_) @scope)
(method_definition body: (_) @scope)
(generator_function_declaration body: (_) @scope)
(function_declaration name: (identifier) @fn.name body: (_) @fn.body)
(variable_declarator
  name: (identifier) @fn.name
  value: [(arrow_function body: (_) @fn.body) (function_expression body: (_) @fn.body)])
