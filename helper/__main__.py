from helper.cli import main

raise SystemExit(main())
