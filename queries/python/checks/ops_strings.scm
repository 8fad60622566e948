; OPS: string literals (hard-coded URLs and hosts) and string-valued names (project ids).
(string) @string
(assignment left: (identifier) @key right: (string) @value)
(keyword_argument name: (identifier) @key value: (string) @value)
(pair key: (string) @key value: (string) @value)
(comment) @comment
