; Named functions and their bodies, for ARCH-DUP's token shapes.
(function_definition name: (identifier) @name body: (block) @body) @function
