/**
 * The Monaco pieces the playground uses: every editor feature (hover, suggest, find, folding…)
 * and the TypeScript language, but none of the ~80 other languages that importing the package
 * root would register (a 2.7 MB chunk). Side-effect imports only.
 */
import "monaco-editor/features/register.all";
// Editor contributions that editor.main imports beyond register.all.
import "monaco-editor/editor/browser/coreCommands";
import "monaco-editor/editor/contrib/caretOperations/browser/caretOperations";
import "monaco-editor/editor/contrib/dropOrPasteInto/browser/copyPasteContribution";
import "monaco-editor/editor/contrib/find/browser/findController";
import "monaco-editor/editor/contrib/gotoSymbol/browser/goToCommands";
import "monaco-editor/editor/contrib/gotoError/browser/markerSelectionStatus";
import "monaco-editor/editor/contrib/semanticTokens/browser/documentSemanticTokens";
import "monaco-editor/editor/contrib/suggest/browser/suggestController";
import "monaco-editor/editor/common/standaloneStrings";
// TypeScript: Monarch colouring, then the language service (the TS worker).
import "monaco-editor/languages/definitions/typescript/register";
