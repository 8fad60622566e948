; Values rendered into markup, for the PAY detectors (display is not where money is computed).
(jsx_expression) @display
