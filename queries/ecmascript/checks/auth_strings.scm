; AUTH: string literals and templates (keys, SQL, matchers, header values).
(string) @string
(template_string) @string
