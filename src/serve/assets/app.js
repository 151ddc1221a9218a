// podseek's search page: results as you type, the query in the URL, a click on a time plays
// that moment. Everything from the index is set with textContent, never parsed as HTML.
'use strict';
(() => {
  const form = document.getElementById('search');
  const input = document.getElementById('q');
  const results = document.getElementById('results');
  const player = document.getElementById('player');
  const audio = document.getElementById('audio');
  const now = document.getElementById('now');
  const limit = Number(results.dataset.limit) || 20;
  const emptyTitle = 'podseek · ' + form.querySelector('label').textContent.replace(/^Search /, '');
  const DEBOUNCE_MS = 150;
  // Typing within this long of the last URL change edits that history entry instead of adding one.
  const TYPING_MS = 2000;

  let timer = 0;
  let latest = 0;
  let typedAt = 0;
  let seekTo = null;

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v !== null && v !== undefined) node.setAttribute(k, String(v));
    }
    node.append(...children);
    return node;
  }

  // Highlights are UTF-8 byte ranges of the snippet, as the server gives them.
  function marked(text, ranges) {
    const bytes = encoder.encode(text);
    const out = document.createDocumentFragment();
    let at = 0;
    for (const [a, b] of ranges || []) {
      if (a < at || a >= b || b > bytes.length) continue;
      out.append(decoder.decode(bytes.subarray(at, a)));
      out.append(el('mark', null, decoder.decode(bytes.subarray(a, b))));
      at = b;
    }
    out.append(decoder.decode(bytes.subarray(at)));
    return out;
  }

  // The snippet of a short field may be cut ("…") and lose trailing punctuation: when it is a
  // piece of the whole field, show the whole field with the highlights moved onto it.
  function whole(full, snippet, ranges) {
    const ellipsis = '…';
    const lead = snippet.startsWith(ellipsis) ? encoder.encode(ellipsis).length : 0;
    let core = lead ? snippet.slice(ellipsis.length) : snippet;
    if (core.endsWith(ellipsis)) core = core.slice(0, -ellipsis.length);
    const at = core ? full.indexOf(core) : -1;
    if (at < 0) return [snippet, ranges || []];
    const end = lead + encoder.encode(core).length;
    const shift = encoder.encode(full.slice(0, at)).length - lead;
    return [full, (ranges || [])
      .filter(([a, b]) => a >= lead && b <= end)
      .map(([a, b]) => [a + shift, b + shift])];
  }

  function webUrl(url) {
    return typeof url === 'string' && /^\s*https?:\/\//i.test(url);
  }

  function plural(n, one, many) {
    return n + ' ' + (n === 1 ? one : many);
  }

  function status(text, isError) {
    return el('p', {
      id: 'status',
      class: isError ? 'status error' : 'status',
      role: isError ? 'alert' : 'status',
    }, text);
  }

  function playLabel(h) {
    let s = '';
    if (h.podcast) s += h.podcast + ' ';
    if (h.episode !== null && h.episode !== undefined) s += '#' + h.episode + ' ';
    s += h.episode_title + ' · ' + h.start;
    if (h.chapter_title) s += ' ' + h.chapter_title;
    return s;
  }

  function time(h) {
    if (webUrl(h.media_url) && webUrl(h.link)) {
      return el('a', {
        class: 'time', href: h.link, 'data-media': h.media_url,
        'data-start': h.start_seconds, 'data-label': playLabel(h),
      }, h.start);
    }
    if (!h.media_url && webUrl(h.link)) {
      return el('a', { class: 'time', href: h.link, rel: 'noopener' }, h.start);
    }
    return el('button', {
      type: 'button', class: 'time', 'data-copy': h.start, title: 'Copy this time',
    }, h.start);
  }

  function hit(h) {
    const what = el('div', { class: 'what' });
    const mark = () => marked(h.snippet, h.highlights);
    const markWhole = (full) => marked(...whole(full, h.snippet, h.highlights));
    if (h.section) {
      const section = h.matched_field === 'section' ? markWhole(h.section) : h.section;
      what.append(el('span', { class: 'section' }, section));
    }
    let title;
    if (h.chapter_title === null || h.chapter_title === undefined) title = 'Whole episode';
    else if (h.matched_field === 'chapter_title') title = markWhole(h.chapter_title);
    else title = h.chapter_title;
    what.append(el('span', { class: 'title' }, title));
    if (h.matched_field === 'description') what.append(el('span', { class: 'snippet' }, mark()));
    return el('li', { class: 'hit' }, time(h), what);
  }

  function episode(g) {
    const heading = el('h2');
    if (g.podcast) heading.append(el('span', { class: 'podcast' }, g.podcast), ' ');
    if (g.episode !== null && g.episode !== undefined) {
      heading.append(el('span', { class: 'num' }, '#' + g.episode), ' ');
    }
    heading.append(g.episode_title);
    const item = el('li', { class: 'episode' }, heading);
    const date = g.hits.length ? g.hits[0].date : null;
    if (date) item.append(el('p', { class: 'date' }, date));
    item.append(el('ol', { class: 'hits' }, ...g.hits.map(hit)));
    return item;
  }

  function summary(doc) {
    if (doc.total === 0) return 'No matches for “' + doc.query.trim() + '”.';
    const matches = plural(doc.total, 'match', 'matches');
    if (doc.episodes.length < limit) {
      return matches + ' in ' + plural(doc.episodes.length, 'episode', 'episodes');
    }
    // Filters alone score every hit 0: their listing is in index order.
    const which = doc.episodes.some((g) => g.score > 0) ? 'best' : 'first';
    return matches + '; the ' + which + ' ' + doc.episodes.length + ' episodes shown';
  }

  function show(...nodes) {
    results.replaceChildren(...nodes);
  }

  function render(doc) {
    const nodes = [status(summary(doc), false)];
    if (doc.episodes.length) nodes.push(el('ol', { class: 'episodes' }, ...doc.episodes.map(episode)));
    show(...nodes);
  }

  function urlFor(q) {
    return q ? '/?q=' + encodeURIComponent(q).replace(/%20/g, '+') : '/';
  }

  // Shared links and the back button: the URL always carries the query on screen.
  function remember(q, how) {
    document.title = q ? q + ' · podseek' : emptyTitle;
    if (how === 'history') return;
    const url = urlFor(q);
    if (url === location.pathname + location.search) return;
    const t = Date.now();
    if (how === 'typing' && t - typedAt < TYPING_MS) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    typedAt = how === 'typing' ? t : 0;
  }

  // Using the results ends a bout of typing: the next search gets its own history entry.
  function settled() {
    typedAt = 0;
  }

  async function run(raw, how) {
    const q = raw.trim();
    const mine = ++latest;
    remember(q, how);
    if (!q) {
      show(status(results.dataset.empty || '', false));
      return;
    }
    results.setAttribute('aria-busy', 'true');
    try {
      const url = '/api/search?by_episode=1&limit=' + limit + '&q=' + encodeURIComponent(q);
      const res = await fetch(url, { headers: { Accept: 'application/json' } });
      const doc = await res.json();
      if (mine !== latest) return;
      if (!res.ok) show(status(doc.error || 'The search failed (' + res.status + ').', true));
      else render(doc);
    } catch (e) {
      if (mine === latest) show(status('The search server did not answer.', true));
    } finally {
      if (mine === latest) results.removeAttribute('aria-busy');
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value, 'typing'), DEBOUNCE_MS);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    run(input.value, 'submit');
  });
  window.addEventListener('popstate', () => {
    const q = new URLSearchParams(location.search).get('q') || '';
    input.value = q;
    clearTimeout(timer);
    run(q, 'history');
  });

  audio.addEventListener('loadedmetadata', () => {
    if (seekTo !== null) {
      audio.currentTime = seekTo;
      seekTo = null;
    }
  });

  function play(link) {
    const media = link.dataset.media;
    const start = Number(link.dataset.start) || 0;
    player.hidden = false;
    now.textContent = link.dataset.label || '';
    for (const p of results.querySelectorAll('.hit.playing')) p.classList.remove('playing');
    link.closest('.hit').classList.add('playing');
    if (audio.dataset.src !== media) {
      audio.dataset.src = media;
      seekTo = start;
      audio.src = media;
    } else if (audio.readyState >= 1) {
      audio.currentTime = start;
    } else {
      seekTo = start;
    }
    audio.play().catch(() => {
      // Autoplay refused or the media failed: the controls are there to press play.
    });
  }

  function copy(button) {
    const done = () => {
      button.classList.add('copied');
      setTimeout(() => button.classList.remove('copied'), 1500);
    };
    if (navigator.clipboard) navigator.clipboard.writeText(button.dataset.copy).then(done, () => {});
  }

  results.addEventListener('click', (e) => {
    const t = e.target.closest('.time');
    if (!t) return;
    settled();
    if (t.dataset.media) {
      e.preventDefault();
      play(t);
    } else if (t.dataset.copy) {
      copy(t);
    }
  });

  function typing(target) {
    return target instanceof HTMLElement
      && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  // `/` focuses the box; arrows walk through the hits' times; Enter on a time plays it.
  document.addEventListener('keydown', (e) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === '/' && !typing(e.target)) {
      e.preventDefault();
      input.focus();
      input.select();
      return;
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const times = Array.from(results.querySelectorAll('.time'));
    if (!times.length) return;
    if (document.activeElement === input) {
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        settled();
        times[0].focus();
      }
      return;
    }
    const i = times.indexOf(document.activeElement);
    if (i < 0) return;
    e.preventDefault();
    if (e.key === 'ArrowDown') times[Math.min(i + 1, times.length - 1)].focus();
    else if (i === 0) input.focus();
    else times[i - 1].focus();
  });
})();
