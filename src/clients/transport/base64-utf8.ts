/** Base64 of a text's UTF-8 bytes (RFC 7617 Basic pairs): btoa alone refuses anything outside Latin-1. */
export function base64Utf8(text: string) {
  let binary = ''
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return btoa(binary)
}
