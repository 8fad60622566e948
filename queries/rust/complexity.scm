[(function_item) (closure_expression)] @scope

[
  (if_expression)
  (while_expression)
  (for_expression)
  (match_arm)
  (try_expression)
] @branch
(binary_expression operator: ["&&" "||"]) @branch
