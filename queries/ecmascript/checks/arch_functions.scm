; Named functions and their bodies, for ARCH-DUP's token shapes.
(function_declaration name: (identifier) @name body: (statement_block) @body) @function
(generator_function_declaration name: (identifier) @name body: (statement_block) @body) @function
(method_definition name: (_) @name body: (statement_block) @body) @function
(variable_declarator
  name: (identifier) @name
  value: [(arrow_function body: (_) @body) (function_expression body: (statement_block) @body)]) @function
(pair
  key: (_) @name
  value: [(arrow_function body: (statement_block) @body) (function_expression body: (statement_block) @body)]) @function
