; AUTH: string literals (SQL, keys, header values), f-strings and implicit concatenation.
(concatenated_string) @string
(string) @string
