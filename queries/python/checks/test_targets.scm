; In test files: the URLs a test calls (client.get("/reports/export")), so routes exercised
; over HTTP count as tested.
(string (string_content) @text)
