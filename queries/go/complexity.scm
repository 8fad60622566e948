[(function_declaration) (method_declaration) (func_literal)] @scope

[
  (if_statement)
  (for_statement)
  (expression_case)
  (type_case)
  (communication_case)
] @branch
(binary_expression operator: ["&&" "||"]) @branch
