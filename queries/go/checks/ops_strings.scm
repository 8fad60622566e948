; OPS: string literals (hard-coded URLs and hosts).
(interpreted_string_literal) @string
(raw_string_literal) @string
