(function_declaration name: (identifier) @name) @definition.function
(method_declaration name: (field_identifier) @name) @definition.method
(type_spec name: (type_identifier) @name type: (struct_type)) @definition.class
(type_spec name: (type_identifier) @name type: (interface_type)) @definition.interface
(type_spec name: (type_identifier) @name type: [(type_identifier) (qualified_type) (function_type) (map_type) (slice_type) (pointer_type) (generic_type)]) @definition.type

((function_declaration name: (identifier) @_n) @exported (#match? @_n "^[A-Z]"))
((method_declaration name: (field_identifier) @_n) @exported (#match? @_n "^[A-Z]"))
((type_spec name: (type_identifier) @_n) @exported (#match? @_n "^[A-Z]"))

(import_spec path: (interpreted_string_literal (interpreted_string_literal_content) @import.source))

(comment) @comment
