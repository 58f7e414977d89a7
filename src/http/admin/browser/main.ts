// The admin pages' only script, bundled into src/generated/admin-script.ts and sent inline under
// each response's CSP nonce. Everything it does is an extra: every page works without it (the
// copy fields select on click, a running run reloads through <noscript><meta refresh>, forms
// post normally). A new feature is a module here that enhances the page it is given, started
// below; one that also applies to parts the live refresh swaps in goes into onSwap.
import { startBuilder } from './builder/builder'
import { showCanonicalPath } from './canonical-path'
import { addCopyButtons } from './copy-buttons'
import { confirmRiskyForms } from './confirm-forms'
import { addFormatButtons } from './format-json'
import { refreshLiveRegions } from './live-regions'

showCanonicalPath(document)
confirmRiskyForms(document)
addFormatButtons(document)
addCopyButtons(document)
startBuilder(document)
refreshLiveRegions({ onSwap: addCopyButtons })
