// One width for code and comments across the tree (the house rule), otherwise Prettier's defaults.
export default { printWidth: 120 };
