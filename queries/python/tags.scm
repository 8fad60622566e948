(function_definition name: (identifier) @name) @definition.function
(class_definition body: (block (function_definition name: (identifier) @name) @definition.method))
(class_definition body: (block (decorated_definition definition: (function_definition name: (identifier) @name) @definition.method)))
(class_definition name: (identifier) @name) @definition.class

(module (function_definition name: (identifier) @_n (#not-match? @_n "^_")) @exported)
(module (class_definition name: (identifier) @_n (#not-match? @_n "^_")) @exported)
(module (decorated_definition definition: (_ name: (identifier) @_n (#not-match? @_n "^_")) @exported))

(import_statement name: (dotted_name) @import.source)
(import_statement name: (aliased_import name: (dotted_name) @import.source))
(import_from_statement module_name: (_) @import.source)

(comment) @comment
