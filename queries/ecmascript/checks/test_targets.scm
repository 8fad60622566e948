; In test files: the URLs and function names a test calls, so that routes exercised over HTTP
; (fetch, supertest, Playwright) or through supabase.functions.invoke count as tested.
(string (string_fragment) @text)
(template_string) @text
(call_expression
  function: (member_expression property: (property_identifier) @method (#eq? @method "invoke"))
  arguments: (arguments . (string (string_fragment) @function)))
