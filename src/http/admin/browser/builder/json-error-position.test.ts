import { describe, expect, it } from 'vitest'
import { describeJsonError, lineColumnAt, offsetAt, problemSentence } from './json-error-position'

// The browsers' own wordings, as JSON.parse throws them (Chromium 156, older V8, Firefox, Safari).
const TEXT = '{\n  "name": "x"\n  "nodes": []\n}'
const AT_NODES = TEXT.indexOf('"nodes"')

describe('lineColumnAt', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumnAt(TEXT, 0)).toEqual({ line: 1, column: 1, offset: 0 })
    expect(lineColumnAt(TEXT, 1)).toEqual({ line: 1, column: 2, offset: 1 })
    expect(lineColumnAt(TEXT, 2)).toEqual({ line: 2, column: 1, offset: 2 })
    expect(lineColumnAt(TEXT, AT_NODES)).toEqual({ line: 3, column: 3, offset: AT_NODES })
  })

  it('keeps an offset past either end inside the text', () => {
    expect(lineColumnAt('ab\ncd', 99)).toEqual({ line: 2, column: 3, offset: 5 })
    expect(lineColumnAt('ab', -4)).toEqual({ line: 1, column: 1, offset: 0 })
    expect(lineColumnAt('', 0)).toEqual({ line: 1, column: 1, offset: 0 })
  })

  it('is the inverse of offsetAt', () => {
    for (let offset = 0; offset <= TEXT.length; offset++) {
      const { line, column } = lineColumnAt(TEXT, offset)
      expect(offsetAt(TEXT, line, column)).toBe(offset)
    }
    // Past the end of a line or of the text: that line's end, the text's end.
    expect(offsetAt('ab\ncd', 1, 40)).toBe(2)
    expect(offsetAt('ab\ncd', 9, 1)).toBe(5)
  })
})

describe('describeJsonError', () => {
  it("reads today's V8: position and line/column", () => {
    const message = `Expected ',' or '}' after property value in JSON at position ${AT_NODES} (line 3 column 3)`
    const problem = describeJsonError(TEXT, message)
    expect(problem).toEqual({
      reason: "Expected ',' or '}' after property value",
      place: { line: 3, column: 3, offset: AT_NODES },
    })
    expect(problemSentence(problem)).toBe(
      "Line 3, column 3: Expected ',' or '}' after property value",
    )
  })

  it("reads older V8's position only", () => {
    const problem = describeJsonError(
      TEXT,
      `Expected ',' or '}' after property value in JSON at position ${AT_NODES}`,
    )
    expect(problem.place).toEqual({ line: 3, column: 3, offset: AT_NODES })
    expect(problem.reason).toBe("Expected ',' or '}' after property value")
  })

  it("reads Firefox's line and column", () => {
    const problem = describeJsonError(
      TEXT,
      "JSON.parse: expected ',' or '}' after property value in object at line 3 column 3 of the JSON data",
    )
    expect(problemSentence(problem)).toBe(
      "Line 3, column 3: Expected ',' or '}' after property value in object",
    )
    expect(problem.place?.offset).toBe(AT_NODES)
  })

  it('places a text that ends too soon at its end', () => {
    const text = '{\n  "a": ['
    const problem = describeJsonError(text, 'Unexpected end of JSON input')
    expect(problemSentence(problem)).toBe('Line 2, column 9: Unexpected end of JSON input')
    expect(describeJsonError('', 'Unexpected end of JSON input').place).toEqual({
      line: 1,
      column: 1,
      offset: 0,
    })
  })

  it('says what is wrong without a place when the message gives none', () => {
    const v8 = describeJsonError('[1,]', `Unexpected token ']', "[1,]" is not valid JSON`)
    expect(v8).toEqual({ reason: `Unexpected token ']', "[1,]" is not valid JSON` })
    expect(problemSentence(v8)).toBe(`Unexpected token ']', "[1,]" is not valid JSON`)
    const safari = describeJsonError(
      '[1,]',
      'JSON Parse error: Unexpected comma at the end of array',
    )
    expect(problemSentence(safari)).toBe('Unexpected comma at the end of array')
    expect(problemSentence(describeJsonError('x', ''))).toBe('Not valid JSON')
  })

  it('agrees with the JSON.parse it runs on', () => {
    for (const text of ['{"a" 1}', '{\n\n  "a": 1,\n}', '[1, 2\n 3]', '{"a":"x\ny"}']) {
      let message = ''
      try {
        JSON.parse(text)
      } catch (error) {
        message = (error as Error).message
      }
      const { place } = describeJsonError(text, message)
      if (!/position|line/.test(message)) continue
      expect(place, message).toBeDefined()
      expect(lineColumnAt(text, place!.offset)).toEqual(place)
    }
  })
})
