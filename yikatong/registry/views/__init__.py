"""Pages of the register. Thin: parse, authorise, call one service or selector, render."""
