(class_declaration name: (identifier) @name) @definition.class
(record_declaration name: (identifier) @name) @definition.class
(interface_declaration name: (identifier) @name) @definition.interface
(enum_declaration name: (identifier) @name) @definition.type
(method_declaration name: (identifier) @name) @definition.method
(constructor_declaration name: (identifier) @name) @definition.method

[
  (class_declaration (modifiers "public"))
  (record_declaration (modifiers "public"))
  (interface_declaration (modifiers "public"))
  (enum_declaration (modifiers "public"))
  (method_declaration (modifiers "public"))
  (constructor_declaration (modifiers "public"))
] @exported

(import_declaration [(scoped_identifier) (identifier)] @import.source)

[(line_comment) (block_comment)] @comment
