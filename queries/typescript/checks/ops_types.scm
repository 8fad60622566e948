; OPS-TYPES: explicit any. TypeScript and TSX only.
((predefined_type) @any (#eq? @any "any"))
