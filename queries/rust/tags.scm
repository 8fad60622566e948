(function_item name: (identifier) @name) @definition.function
(impl_item body: (declaration_list (function_item name: (identifier) @name) @definition.method))
(trait_item body: (declaration_list (function_item name: (identifier) @name) @definition.method))
(struct_item name: (type_identifier) @name) @definition.class
(enum_item name: (type_identifier) @name) @definition.type
(type_item name: (type_identifier) @name) @definition.type
(trait_item name: (type_identifier) @name) @definition.interface
(mod_item name: (identifier) @name body: (declaration_list)) @definition.module

(function_item (visibility_modifier)) @exported
(struct_item (visibility_modifier)) @exported
(enum_item (visibility_modifier)) @exported
(trait_item (visibility_modifier)) @exported
(type_item (visibility_modifier)) @exported
(mod_item (visibility_modifier)) @exported

(use_declaration argument: (_) @import.source)
(mod_item !body name: (identifier) @import.source)
(extern_crate_declaration name: (identifier) @import.source)

[(line_comment) (block_comment)] @comment
