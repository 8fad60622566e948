; Appended to typescript/tags.scm for .tsx files.
[(jsx_element) (jsx_self_closing_element)] @jsx
