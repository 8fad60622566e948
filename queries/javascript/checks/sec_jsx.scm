; SEC: JSX attributes whose value is an expression (dangerouslySetInnerHTML={{ __html: … }},
; href={…}). Read by src/checks/sec/code.rs. JavaScript twin of tsx/checks/sec_jsx.scm.
(jsx_attribute (property_identifier) @jsx.attr (jsx_expression (_) @jsx.value)) @jsx
