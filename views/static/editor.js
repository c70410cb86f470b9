// Herald's visual editor: GrapesJS with its MJML plugin (served from the installed npm packages under
// /static/vendor/), mounted on a content form's textarea. The textarea stays the content: the editor
// loads from it, writes back into it when the form is submitted or the code view is chosen, and the
// form posts it as usual (with its CSRF token). Herald's content blocks are blocks of the editor,
// kept as references (<herald-block name="…">) so that an edited block updates every content.
'use strict';

const root = document.querySelector('[data-visual-editor]');
const source = root && document.getElementById(root.dataset.source);
if (root && source && window.grapesjs && window['grapesjs-mjml']) {
  const config = JSON.parse(root.dataset.config);
  const form = source.form;
  const formatField = form.elements.namedItem('format');
  const status = root.querySelector('[data-editor-status]');
  const frame = root.querySelector('.visual-editor-frame');
  const sourceLabel = source.closest('label') || source;
  const mjmlPlugin = window['grapesjs-mjml'].default || window['grapesjs-mjml'];
  let editor = null;
  let head = '';

  // A reference to a content block: shown as a labelled box, written back as the reference.
  const heraldBlock = (ed) => {
    ed.Components.addType('herald-block', {
      isComponent: (el) => el.tagName === 'HERALD-BLOCK',
      model: {
        defaults: { tagName: 'herald-block', draggable: '[data-gjs-type=mj-body]', droppable: false, editable: false, stylable: false, traits: [] },
        toHTML() {
          const name = String(this.getAttributes().name || '').replace(/[^a-z0-9_-]/g, '');
          return `<herald-block name="${name}"></herald-block>`;
        },
      },
      view: {
        onRender() {
          const name = this.model.getAttributes().name || '';
          const block = config.blocks.find((b) => b.name === name);
          this.el.textContent = `${config.text.block}: ${block ? block.label : name}`;
          this.el.setAttribute('style', 'display:block;margin:0 auto;max-width:600px;padding:14px;border:2px dashed #6b7a90;background:#fff;color:#1d2733;font:15px Helvetica,Arial,sans-serif;text-align:center');
        },
      },
    });
  };

  /** The MJML without its <mj-head> (kept aside as written: the editor does not edit it). */
  const withoutHead = (mjml) => {
    const match = mjml.match(/<mj-head>[\s\S]*?<\/mj-head>/);
    head = match ? match[0] : '';
    return match ? mjml.replace(match[0], '') : mjml;
  };

  const bodyDroppable = () => {
    const body = editor.getWrapper().find('mj-body')[0];
    if (body && !String(body.get('droppable')).includes('herald-block')) body.set('droppable', `${body.get('droppable')}, [data-gjs-type=herald-block]`);
  };

  const open = () => {
    if (formatField && formatField.value !== 'mjml') {
      status.textContent = config.text.mjmlOnly;
      return false;
    }
    editor = window.grapesjs.init({
      container: '#visual-editor-canvas',
      height: '75vh',
      width: 'auto',
      fromElement: false,
      storageManager: false,
      plugins: [mjmlPlugin],
      pluginsOpts: { [mjmlPlugin]: { customComponents: [heraldBlock], resetDevices: true } },
      components: withoutHead(source.value),
      // Offline and private: no icon font from a CDN (the panels draw their own icons), no telemetry.
      cssIcons: '',
      telemetry: false,
    });
    // The field picker is in the toolbar of the text being edited: the chosen expression is inserted
    // at the cursor as text, and the form's server side makes it a tag again
    // (server/delivery/source/editor-output.ts).
    const escape = (value) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
    const options = config.fields.map((f) => `<option value="${escape(f.insert)}">${escape(f.label)}</option>`).join('');
    editor.RichTextEditor.add('herald-field', {
      icon: `<select class="gjs-field" data-herald-fields aria-label="${escape(config.text.field)}"><option value="">${escape(config.text.field)}</option>${options}</select>`,
      event: 'change',
      result: (rte, action) => {
        const select = action.btn.querySelector('select');
        if (select.value) rte.insertHTML(escape(select.value));
      },
      update: (rte, action) => {
        action.btn.querySelector('select').value = '';
      },
    });
    for (const block of config.blocks)
      editor.Blocks.add(`herald-block-${block.name}`, {
        label: block.label,
        category: config.text.blocks,
        content: { type: 'herald-block', attributes: { name: block.name } },
      });
    editor.on('load', () => {
      bodyDroppable();
      // The blocks are what a marketer starts from: show them first.
      editor.Panels.getButton('views', 'open-blocks')?.set('active', true);
    });
    return true;
  };

  /** Writes the editor's MJML back into the textarea, with the head put back. */
  const save = () => {
    if (!editor) return;
    let mjml = editor.getHtml();
    if (head) mjml = mjml.replace(/<mjml([^>]*)>/, (tag) => `${tag}${head}`);
    source.value = mjml;
  };

  const show = (view) => {
    for (const b of root.querySelectorAll('[data-editor-view]')) b.setAttribute('aria-pressed', String(b.dataset.editorView === view));
    if (view === 'code') {
      save();
      editor?.destroy();
      editor = null;
      frame.hidden = true;
      sourceLabel.style.display = '';
    } else if (open()) {
      frame.hidden = false;
      sourceLabel.style.display = 'none';
    }
  };

  root.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    if (!button) return;
    if (button.dataset.editorView) show(button.dataset.editorView);
  });
  form.addEventListener('submit', save);
  show('visual');
}
