// pg-cli is an application; its commands live in src/commands (oclif).
export {};
