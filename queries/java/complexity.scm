[(method_declaration) (constructor_declaration) (lambda_expression)] @scope

[
  (if_statement)
  (for_statement)
  (enhanced_for_statement)
  (while_statement)
  (do_statement)
  (catch_clause)
  (ternary_expression)
  (switch_label)
] @branch
(binary_expression operator: ["&&" "||"]) @branch
