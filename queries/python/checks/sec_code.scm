; SEC: the code model the security detectors read (src/checks/sec/code.rs): functions and
; their decorators, bindings, calls and keyword arguments, strings and where they are
; interpolated (f-strings, %, .format), dict pairs, imports, classes and every identifier.

(function_definition name: (identifier) @fn.name parameters: (parameters) @fn.params) @fn
(lambda parameters: (lambda_parameters)? @fn.params) @fn
(parameters (identifier) @param.name @param)
(parameters (typed_parameter (identifier) @param.name type: (_) @param.type) @param)
(parameters (default_parameter name: (_) @param.name value: (_) @param.default) @param)
(parameters (typed_default_parameter name: (_) @param.name type: (_) @param.type value: (_) @param.default) @param)
(decorated_definition (decorator (_) @decorator) definition: (_) @decorated)
(class_definition name: (identifier) @class.name superclasses: (argument_list)? @class.bases) @class

(assignment left: (_) @def.target right: (_) @def.value) @def
(augmented_assignment left: (_) @def.target operator: "+=" right: (_) @def.value) @def.append
(named_expression name: (identifier) @def.target value: (_) @def.value) @def
(with_item value: (as_pattern (_) @def.value alias: (as_pattern_target) @def.target)) @def
(for_statement left: (_) @def.target right: (_) @def.value) @def

(call function: (_) @call.callee arguments: (_) @call.args) @call
(keyword_argument name: (identifier) @pair.key value: (_) @pair.value) @pair
(pair key: (_) @pair.key value: (_) @pair.value) @pair

(string (interpolation)) @template
(interpolation) @sub
(string) @str
(concatenated_string) @str
(integer) @num
(float) @num
(binary_operator left: (_) operator: "+" right: (_)) @concat
(binary_operator left: (_) @percent.left operator: "%" right: (_) @percent.args) @percent
(call
  function: (attribute object: (_) @format.recv attribute: (identifier) @_format (#eq? @_format "format"))
  arguments: (argument_list) @format.args) @format
(comparison_operator) @compare
(call function: (identifier) @_isinstance (#eq? @_isinstance "isinstance")) @typeof

(import_statement name: (dotted_name) @import.source) @import
(import_statement name: (aliased_import name: (dotted_name) @import.source)) @import
(import_from_statement module_name: (_) @import.source) @import

(identifier) @name
(attribute attribute: (identifier) @not_name)
(keyword_argument name: (identifier) @not_name)
