(function_declaration name: (identifier) @name) @definition.function
(generator_function_declaration name: (identifier) @name) @definition.function
(lexical_declaration
  (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)])) @definition.function
(variable_declaration
  (variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression)])) @definition.function
(class_declaration name: (identifier) @name) @definition.class
(method_definition name: [(property_identifier) (private_property_identifier)] @name) @definition.method

(export_statement (_) @exported)
(export_statement (export_clause (export_specifier name: (identifier) @export.name)))
(export_statement value: (identifier) @export.name)
; CommonJS: module.exports = { a, b }
(assignment_expression
  left: (member_expression object: (identifier) @_module property: (property_identifier) @_exports)
  right: (object (shorthand_property_identifier) @export.name)
  (#eq? @_module "module") (#eq? @_exports "exports"))

(import_statement source: (string (string_fragment) @import.source))
(export_statement source: (string (string_fragment) @import.source))
(call_expression function: (import) arguments: (arguments . (string (string_fragment) @import.dynamic)))
(call_expression
  function: (identifier) @_require (#eq? @_require "require")
  arguments: (arguments . (string (string_fragment) @import.require)))

(comment) @comment

[(jsx_element) (jsx_self_closing_element)] @jsx
