[(function_definition) (lambda)] @scope

[
  (if_statement)
  (elif_clause)
  (for_statement)
  (while_statement)
  (except_clause)
  (conditional_expression)
  (boolean_operator)
  (case_clause)
  (for_in_clause)
  (if_clause)
] @branch
