/**
 * What a template can read and the JSONata functions most used in one, beside the editor: the
 * README's reference, where it is needed.
 */
export function TemplateHelp() {
  return (
    <details class="card-body help" id="template-help">
      <summary>Templates: what {'{{ }}'} can read</summary>
      <p class="small">
        Any text field of a node may hold <code>{'{{ expression }}'}</code>, a JSONata expression. A
        field that is exactly one template keeps the value's type (a number stays a number).
      </p>
      <dl class="small help-list">
        <dt>
          <code>input</code>
        </dt>
        <dd>the output of the node just before (the run input for the first node)</dd>
        <dt>
          <code>run.input</code>
        </dt>
        <dd>the run's input (the webhook body), from any node</dd>
        <dt>
          <code>steps.&lt;id&gt;.output</code>
        </dt>
        <dd>
          the output of an earlier node; an id with <code>-</code> needs backticks:{' '}
          <code>steps.`send-mail`.output</code>
        </dd>
        <dt>
          <code>trigger</code>
        </dt>
        <dd>how the run started: type, headers, query, time</dd>
        <dt>
          <code>run.id</code>, <code>run.startedAt</code>
        </dt>
        <dd>the run itself</dd>
        <dt>
          <code>item</code>, <code>index</code>
        </dt>
        <dd>under forEach: the element and its position</dd>
      </dl>
      <p class="small">Functions used most:</p>
      <dl class="small help-list">
        <dt>
          <code>$string(x)</code>, <code>$number(x)</code>
        </dt>
        <dd>convert</dd>
        <dt>
          <code>$uppercase(s)</code>, <code>$trim(s)</code>, <code>$substring(s, 0, 10)</code>
        </dt>
        <dd>text</dd>
        <dt>
          <code>a &amp; " " &amp; b</code>
        </dt>
        <dd>join text</dd>
        <dt>
          <code>$join(list, ", ")</code>, <code>$count(list)</code>, <code>$sum(list.price)</code>
        </dt>
        <dd>lists</dd>
        <dt>
          <code>items[price &gt; 10]</code>, <code>$filter(list, function($v) {'{ $v.ok }'})</code>
        </dt>
        <dd>filter</dd>
        <dt>
          <code>x ? "yes" : "no"</code>, <code>x ?? "default"</code>
        </dt>
        <dd>choose; a default for a missing value</dd>
        <dt>
          <code>$now()</code>, <code>$fromMillis(n)</code>
        </dt>
        <dd>time</dd>
      </dl>
    </details>
  )
}
