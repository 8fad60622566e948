; AUTH: local names of imports (from auth import router as auth_router, from app import views).
(import_from_statement
  module_name: (_) @source
  name: (dotted_name) @name) @import
(import_from_statement
  module_name: (_) @source
  name: (aliased_import name: (dotted_name) @name alias: (identifier) @local)) @import
(import_statement name: (dotted_name) @source) @import
