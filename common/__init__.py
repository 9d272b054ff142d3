"""Small helpers every app may use. Nothing in this package imports an app or the project
package, so it sits below all of them and never closes an import loop."""
