// Herald's visual editor: GrapesJS (served from the installed npm packages under /static/vendor/),
// mounted on a content form's textarea. MJML contents are edited with GrapesJS's MJML plugin; HTML
// contents with GrapesJS alone and Herald's own email-safe blocks (tables and inline styles, which
// the editor keeps inline). The textarea stays the content: the editor loads from it, writes back
// into it when the form is submitted or the code view is chosen, and the form posts it as usual
// (with its CSRF token). Herald's content blocks are blocks of the editor, kept as references
// (<herald-block name="…">) so that an edited block updates every content.
'use strict';

const root = document.querySelector('[data-visual-editor]');
const source = root && document.getElementById(root.dataset.source);
if (root && source && window.grapesjs && window['grapesjs-mjml']) {
  const config = JSON.parse(root.dataset.config);
  const form = source.form;
  const formatField = form.elements.namedItem('format');
  const frame = root.querySelector('.visual-editor-frame');
  const sourceLabel = source.closest('label') || source;
  const mjmlPlugin = window['grapesjs-mjml'].default || window['grapesjs-mjml'];
  const escape = (value) => String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  let editor = null;
  // What the editor does not edit, kept as written and put back on save: the MJML <mj-head>, or the
  // HTML around the <body>'s content (doctype, head with its styles, the body tag itself).
  let kept = { head: '', before: '', after: '' };
  let mode = 'mjml';

  // A reference to a content block: shown as a labelled box, written back as the reference.
  const heraldBlock = (draggable) => (ed) => {
    ed.Components.addType('herald-block', {
      isComponent: (el) => el.tagName === 'HERALD-BLOCK',
      model: {
        defaults: { tagName: 'herald-block', draggable, droppable: false, editable: false, stylable: false, traits: [] },
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

  /** MJML: the content without its <mj-head>, which is kept aside. */
  const splitMjml = (mjml) => {
    const match = mjml.match(/<mj-head>[\s\S]*?<\/mj-head>/);
    kept = { head: match ? match[0] : '', before: '', after: '' };
    return match ? mjml.replace(match[0], '') : mjml;
  };

  /** HTML: the content of the <body> (the whole text when it is a fragment); the rest is kept aside. */
  const splitHtml = (html) => {
    const open = html.match(/<body\b[^>]*>/i);
    const close = html.match(/<\/body\s*>/i);
    if (!open || !close || close.index < open.index) {
      kept = { head: '', before: '', after: '' };
      return html;
    }
    const start = open.index + open[0].length;
    kept = { head: '', before: html.slice(0, start), after: html.slice(close.index) };
    return html.slice(start, close.index);
  };

  /** The <style> elements of the kept HTML head, shown in the canvas so the content looks as sent. */
  const keptStyles = () => (kept.before.match(/<style\b[^>]*>[\s\S]*?<\/style>/gi) || []).join('\n');

  // The editor's tools for texts: the personalization fields and Herald's links (unsubscribe,
  // preferences, mirror page, landing pages), inserted at the cursor as the expressions Herald
  // personalizes, tracks and signs; the form's server side makes escaped tags tags again
  // (server/delivery/source/editor-output.ts).
  const textTools = (ed) => {
    const select = (name, label, entries) =>
      `<select class="gjs-field" data-herald-${name} aria-label="${escape(label)}"><option value="">${escape(label)}</option>${entries
        .map((e) => `<option value="${escape(e.insert)}">${escape(e.label)}</option>`)
        .join('')}</select>`;
    const tool = (name, label, entries, insert) =>
      ed.RichTextEditor.add(`herald-${name}`, {
        icon: select(name, label, entries),
        event: 'change',
        result: (rte, action) => {
          const chosen = action.btn.querySelector('select');
          if (!chosen.value) return;
          rte.insertHTML(insert(chosen.value));
          // The inserted text is left selected: the cursor goes after it, so typing goes on after it.
          rte.doc?.getSelection()?.collapseToEnd();
        },
        update: (rte, action) => {
          action.btn.querySelector('select').value = '';
        },
      });
    if (config.fields.length) tool('fields', config.text.field, config.fields, escape);
    if (config.links.length) tool('links', config.text.link, config.links, (value) => value);
  };

  const addHeraldBlocks = (ed) => {
    for (const block of config.blocks)
      ed.Blocks.add(`herald-block-${block.name}`, {
        label: block.label,
        category: config.text.blocks,
        content: { type: 'herald-block', attributes: { name: block.name } },
      });
  };

  // Offline and private: no icon font from a CDN (the panels draw their own icons), no telemetry.
  const common = { container: '#visual-editor-canvas', height: '75vh', width: 'auto', fromElement: false, storageManager: false, cssIcons: '', telemetry: false };

  /** The attribute names the kept head's <mj-attributes> sets, by tag ('*': mj-all and mj-class, any tag). */
  const headAttributes = () => {
    const names = {};
    for (const part of kept.head.match(/<mj-attributes>[\s\S]*?<\/mj-attributes>/g) || [])
      for (const [, tag, attributes] of part.matchAll(/<(mj-[a-z-]+)\b([^>]*?)\/?>/g)) {
        if (tag === 'mj-attributes') continue;
        const key = tag === 'mj-all' || tag === 'mj-class' ? '*' : tag;
        for (const [, name] of attributes.matchAll(/([a-z-]+)\s*=/g)) if (name !== 'name') (names[key] ||= new Set()).add(name);
      }
    return names;
  };

  // What the marketer sees is what is sent: the canvas draws each component by compiling it alone,
  // so the kept head (mj-attributes, mj-class, mj-style, mj-font) is put into every compilation; and
  // the plugin's own default of an attribute the head sets is dropped, since the plugin would
  // otherwise write it on each component and so override the head in the canvas.
  // The head's parts that write into the body (mj-preview's hidden text, mj-raw) or name the page
  // are left out: the plugin reads the compiled component as the body's first element.
  const withHead = (_editor, { opt }) => {
    const compile = opt.mjmlParser;
    opt.mjmlParser = (mjml, options) => {
      const head = kept.head.replace(/<(mj-preview|mj-title|mj-raw|mj-html-attributes)\b[\s\S]*?<\/\1>/g, '');
      return compile(head ? mjml.replace(/<mjml([^>]*)>/, (tag) => `${tag}${head}`) : mjml, options);
    };
  };
  const honourHead = (ed) => {
    const names = headAttributes();
    for (const type of ed.Components.getTypes()) {
      const set = new Set([...(names['*'] || []), ...(names[type.id] || [])]);
      const defaults = type.id.startsWith('mj-') && type.model.prototype.defaults['style-default'];
      if (!set.size || !defaults) continue;
      const left = Object.entries(defaults).filter(([key]) => ![...set].some((name) => key === name || key.startsWith(`${name}-`)));
      ed.Components.addType(type.id, { model: { defaults: { 'style-default': Object.fromEntries(left) } } });
    }
  };

  const openMjml = () => {
    const body = splitMjml(source.value);
    editor = window.grapesjs.init({
      ...common,
      plugins: [mjmlPlugin],
      pluginsOpts: { [mjmlPlugin]: { customComponents: [heraldBlock('[data-gjs-type=mj-body]'), withHead], resetDevices: true } },
    });
    honourHead(editor);
    editor.setComponents(body);
    editor.on('load', () => {
      const mjBody = editor.getWrapper().find('mj-body')[0];
      if (mjBody && !String(mjBody.get('droppable')).includes('herald-block')) mjBody.set('droppable', `${mjBody.get('droppable')}, [data-gjs-type=herald-block]`);
    });
  };

  const openHtml = () => {
    const body = splitHtml(source.value);
    editor = window.grapesjs.init({
      ...common,
      // Email needs its styles inline: the editor keeps style attributes as written instead of
      // moving them into generated CSS rules, and adds no page CSS of its own to the canvas.
      avoidInlineStyle: false,
      forceClass: false,
      protectedCss: '',
      plugins: [heraldBlock(true)],
      components: body,
    });
    for (const block of config.htmlBlocks) editor.Blocks.add(block.id, { label: block.label, category: config.text.layout, content: block.content });
    editor.on('load', () => {
      const styles = keptStyles();
      if (styles) editor.Canvas.getDocument().head.insertAdjacentHTML('beforeend', styles);
    });
  };

  const open = () => {
    mode = formatField && formatField.value === 'html' ? 'html' : 'mjml';
    if (mode === 'html') openHtml();
    else openMjml();
    textTools(editor);
    addHeraldBlocks(editor);
    editor.on('load', () => {
      // The blocks are what a marketer starts from: show them first.
      editor.Panels.getButton('views', 'open-blocks')?.set('active', true);
      // What GrapesJS leaves unnamed for assistive technologies: the canvas frame, the device
      // select, and the scrolling panels (reachable by keyboard).
      editor.Canvas.getFrameEl()?.setAttribute('title', config.text.canvas);
      for (const select of root.querySelectorAll('.gjs-devices')) select.setAttribute('aria-label', config.text.device);
      for (const panel of root.querySelectorAll('.gjs-pn-views-container')) panel.setAttribute('tabindex', '0');
    });
    root.dataset.mode = mode;
  };

  /** Writes the editor's content back into the textarea, with what was kept aside put back. */
  const save = () => {
    if (!editor) return;
    if (mode === 'html') {
      const body = editor.getHtml().replace(/^<body[^>]*>/, '').replace(/<\/body>\s*$/, '');
      source.value = kept.before ? `${kept.before}\n${body}\n${kept.after}` : body;
      return;
    }
    let mjml = editor.getHtml();
    if (kept.head) mjml = mjml.replace(/<mjml([^>]*)>/, (tag) => `${tag}${kept.head}`);
    source.value = mjml;
  };

  const close = () => {
    save();
    editor?.destroy();
    editor = null;
  };

  const show = (view) => {
    for (const b of root.querySelectorAll('[data-editor-view]')) b.setAttribute('aria-pressed', String(b.dataset.editorView === view));
    close();
    if (view === 'code') {
      frame.hidden = true;
      sourceLabel.style.display = '';
    } else {
      open();
      frame.hidden = false;
      sourceLabel.style.display = 'none';
    }
  };

  root.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    if (!button) return;
    if (button.dataset.editorView) show(button.dataset.editorView);
  });
  // Another format is another editor: the content is reopened in the one that edits it.
  formatField?.addEventListener('change', () => {
    if (editor) show('visual');
  });
  form.addEventListener('submit', save);
  show('visual');
}
