; OPS: string literals with URLs.
((interpreted_string_literal) @string (#match? @string "://"))
((raw_string_literal) @string (#match? @string "://"))
