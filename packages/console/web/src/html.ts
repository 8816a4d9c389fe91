import htm from 'htm';
import { h } from 'preact';

/** Preact's h() bound to tagged templates: JSX-like markup without a JSX compiler step. */
export const html = htm.bind(h);
