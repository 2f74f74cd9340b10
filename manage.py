#!/usr/bin/env python
from yikatong.cli import main

if __name__ == "__main__":
    main()
