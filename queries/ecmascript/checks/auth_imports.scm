; AUTH: local names of imports (import x from, import { a as b } from, const x = require()).
(import_statement
  (import_clause (identifier) @local)
  source: (string (string_fragment) @source)) @import
(import_statement
  (import_clause
    (named_imports
      (import_specifier name: (_) @name alias: (identifier)? @local)))
  source: (string (string_fragment) @source)) @import
(import_statement
  (import_clause (namespace_import (identifier) @local))
  source: (string (string_fragment) @source)) @import
(variable_declarator
  name: (identifier) @local
  value: (call_expression
    function: (identifier) @require
    arguments: (arguments . (string (string_fragment) @source)))
  (#eq? @require "require")) @import
