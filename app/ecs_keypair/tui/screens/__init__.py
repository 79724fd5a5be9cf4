"""The screens of the terminal app, one module each, with their stylesheet in styles/."""
