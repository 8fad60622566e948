; AUTH: named functions, for handlers passed by name and for helpers (requireUser).
(function_declaration name: (identifier) @name body: (_) @body) @function
(variable_declarator
  name: (identifier) @name
  value: [(arrow_function) (function_expression)] @body) @function
(method_definition name: (property_identifier) @name body: (_) @body) @function
