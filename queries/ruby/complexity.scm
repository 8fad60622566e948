[(method) (singleton_method) (lambda) (block) (do_block)] @scope

[
  (if)
  (unless)
  (elsif)
  (while)
  (until)
  (for)
  (when)
  (rescue)
  (conditional)
  (if_modifier)
  (unless_modifier)
  (while_modifier)
  (until_modifier)
] @branch
(binary operator: ["&&" "||" "and" "or"]) @branch
