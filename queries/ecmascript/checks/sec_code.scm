; SEC: the code model the security detectors read (src/checks/sec/code.rs): functions,
; bindings, calls, strings and where they are interpolated, object pairs, imports and every
; identifier. Shared by TypeScript, TSX and JavaScript; JSX attributes are in sec_jsx.scm.

(function_declaration name: (identifier) @fn.name parameters: (formal_parameters) @fn.params) @fn
(generator_function_declaration name: (identifier) @fn.name parameters: (formal_parameters) @fn.params) @fn
(function_expression parameters: (formal_parameters) @fn.params) @fn
(arrow_function parameters: (formal_parameters) @fn.params) @fn
(arrow_function parameter: (identifier) @fn.params) @fn
(method_definition name: (_) @fn.name parameters: (formal_parameters) @fn.params) @fn

(export_statement declaration: (_) @export) 
(export_statement value: (_) @export.default)
(export_statement "default" declaration: (_) @export.default)

(variable_declarator name: (_) @def.target value: (_) @def.value) @def
(assignment_expression left: (_) @def.target right: (_) @def.value) @def
(augmented_assignment_expression left: (_) @def.target operator: "+=" right: (_) @def.value) @def.append

(call_expression function: (_) @call.callee arguments: (_) @call.args) @call
(new_expression constructor: (_) @call.callee arguments: (_) @call.args) @call

(template_string) @template
(template_substitution) @sub
(string) @str
(number) @num
(binary_expression left: (_) operator: "+" right: (_)) @concat
(binary_expression left: (_) operator: ["===" "!==" "==" "!="] right: (_)) @compare
(unary_expression operator: "typeof") @typeof

(pair key: (_) @pair.key value: (_) @pair.value) @pair

(import_statement source: (string) @import.source) @import
(call_expression
  function: (identifier) @_require (#eq? @_require "require")
  arguments: (arguments . (string) @import.source)) @import

(identifier) @name
(shorthand_property_identifier) @name
(shorthand_property_identifier_pattern) @name
