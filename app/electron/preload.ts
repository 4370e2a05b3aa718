/**
 * The preload: one frozen window.berth, generated from the contract. No ipcRenderer, no channel
 * names and no generic invoke reach the page; every method and stream is one the contract declares.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createRawClient } from '../contract/client.js';
import { IPC_CHANNEL, type MessageCarrier, type ServerMessage } from '../contract/wire.js';

const carrier: MessageCarrier = {
  send: (message) => ipcRenderer.send(IPC_CHANNEL, message),
  onMessage(listener) {
    const handler = (_event: IpcRendererEvent, message: ServerMessage) => listener(message);
    ipcRenderer.on(IPC_CHANNEL, handler);
    return () => ipcRenderer.off(IPC_CHANNEL, handler);
  },
};

const { close: _close, ...client } = createRawClient(carrier);
contextBridge.exposeInMainWorld('berth', Object.freeze(client));
