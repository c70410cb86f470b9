import { definitionTexts, type DEFINITION_MESSAGES, type DefinitionId } from '../en-definitions.js';

/**
 * What each report figure means, in Spanish (counterpart of en-definitions.ts): the figures are
 * named as the Spanish reports name them.
 */
const FIGURES: Record<DefinitionId, [text: string, formula: string]> = {
  target: [
    'Destinatarios seleccionados por el objetivo del envío, antes de cualquier exclusión.',
    'Destinatarios que cumplen el objetivo (todos los destinatarios, los suscriptores de un servicio o los miembros de una lista) y su filtro.',
  ],
  excluded: [
    'Destinatarios apartados por el análisis: en la lista de bloqueo, en cuarentena, sin dirección válida, duplicados o por encima del límite del envío.',
    'Objetivo − Por entregar. La tasa es Excluidos ÷ Objetivo.',
  ],
  to_deliver: ['Mensajes que el envío tiene que enviar una vez hechas las exclusiones.', 'Objetivo − Excluidos.'],
  processed: [
    'Mensajes que el MTA ha tratado hasta ahora, sea cual sea el resultado. En la página de inicio, «Enviados» cuenta estos.',
    'Enviados + Fallidos. La tasa es Procesados ÷ Por entregar.',
  ],
  sent: [
    'Mensajes que el servidor de correo de destino aceptó («Éxito» o «Entregados» en Adobe). Un rebote que llega más tarde pasa su mensaje de Enviados a Fallidos.',
    'Mensajes en estado Enviado. La tasa es Enviados ÷ Por entregar.',
  ],
  failed: [
    'Mensajes que no se pudieron entregar: rechazados por el servidor de destino, rebotados más tarde o aún con fallos cuando terminó la validez del envío.',
    'Mensajes en estado Fallido. La tasa es Fallidos ÷ Por entregar.',
  ],
  pending: ['Mensajes que aún esperan su envío, o un nuevo intento tras un fallo temporal.', 'Por entregar − Procesados mientras el envío está en curso.'],
  new_quarantines: [
    'Direcciones que este envío puso en cuarentena o en la lista de bloqueo (rebotes definitivos, rebotes temporales repetidos, quejas).',
    'Direcciones cuya cuarentena empezó con este envío.',
  ],
  sms_delivered: [
    'SMS cuyo acuse de entrega indica que llegaron al teléfono.',
    'Mensajes con el acuse en estado Entregado. La tasa es Recibidos en el móvil ÷ Procesados.',
  ],
  sms_undeliverable: [
    'SMS cuyo acuse de entrega indica que el número no puede recibirlos; el mensaje falla y el número queda en cuarentena para SMS.',
    'Mensajes con el acuse en estado No entregable. La tasa es No entregables ÷ Procesados.',
  ],
  sms_expired: [
    'SMS que el operador no pudo entregar antes de que caducaran (el teléfono siguió apagado o sin cobertura); el mensaje falla y cuenta un error para el número.',
    'Mensajes con el acuse en estado Caducado. La tasa es Caducados ÷ Procesados.',
  ],
  sms_no_receipt: [
    'SMS enviados de los que el operador aún no ha devuelto acuse de entrega (algunas redes no lo envían nunca).',
    'Mensajes enviados, o fallidos tras el envío, sin estado de acuse. La tasa es Aún sin acuse ÷ Procesados.',
  ],
  sms_stop_replies: [
    'Números alcanzados por este envío que respondieron con una palabra STOP: se dan de baja de los SMS y pasan a la lista de bloqueo del canal.',
    'Números distintos con una respuesta STOP recibida después de que se les enviara el mensaje de este envío, hasta 7 días después del final del envío. La tasa es Respuestas STOP ÷ Enviados.',
  ],
  sms_other_replies: [
    'Números alcanzados por este envío que respondieron otra cosa que una palabra STOP: sus respuestas esperan revisión.',
    'Números distintos con otra respuesta recibida en el mismo intervalo. La tasa es Otras respuestas ÷ Enviados.',
  ],
  push_expired: [
    'Suscripciones de navegador que según el servicio push ya no existen (404 o 410): el mensaje falla y la suscripción no se vuelve a usar.',
    'Mensajes fallidos con el motivo Usuario desconocido, cada uno de los cuales caducó su suscripción. La tasa es Suscripciones caducadas eliminadas ÷ Por entregar.',
  ],
  routed_delivered: [
    'Cartas o faxes que, según los archivos de retorno del proveedor, se entregaron.',
    'Mensajes con el estado de retorno Entregado. La tasa es Entregados por el proveedor ÷ Procesados.',
  ],
  routed_returned: [
    'Cartas que, según los archivos de retorno del proveedor, volvieron sin entregarse; el mensaje falla y cuenta un error para la dirección.',
    'Mensajes con el estado de retorno Devuelto. La tasa es Devueltos ÷ Procesados.',
  ],
  routed_bad_address: [
    'Cartas o faxes que, según el proveedor, fueron a una dirección incorrecta; el mensaje falla y la dirección queda en cuarentena para este canal.',
    'Mensajes con el estado de retorno Dirección incorrecta. La tasa es Dirección incorrecta ÷ Procesados.',
  ],
  routing_cost: [
    'Lo que el proveedor cobra por este envío: un coste por mensaje y un coste por envío, fijados por canal en la configuración.',
    'Mensajes escritos en archivos de extracción × coste por mensaje, más el coste por envío, a los precios vigentes cuando se escribió cada archivo.',
  ],
  sms_segments: [
    'Segmentos que ocuparon los SMS: los operadores facturan por segmento. Un texto más largo que un segmento (160 caracteres GSM-7 o 70 UCS-2) se divide en partes de 153 o 67.',
    'Suma de los segmentos de los mensajes enviados o fallidos tras el envío.',
  ],
  recipient_opens: [
    'Destinatarios que abrieron el mensaje al menos una vez. Un clic cuenta como apertura: un destinatario que hace clic sin cargar las imágenes (el píxel de apertura no llega a cargarse) también lo abrió.',
    'Mensajes distintos con una apertura o un clic («Aperturas» en Adobe). La tasa es Aperturas (destinatarios) ÷ Enviados.',
  ],
  estimated_opens: [
    'Aperturas (destinatarios) extrapoladas a los destinatarios que recibieron la versión de texto, en la que no se pueden medir las aperturas.',
    'Aperturas (destinatarios) × Por entregar ÷ (Por entregar − mensajes solo de texto).',
  ],
  total_opens: [
    'Cada vez que se abrió el mensaje, quienquiera que lo abriera: un destinatario que lo abre tres veces cuenta tres. Las aperturas de un mismo mensaje separadas por menos del tiempo de deduplicación configurado cuentan una vez. Por eso Aperturas (todas) puede ser menor o mayor que Aperturas (destinatarios): los clics solo cuentan como aperturas para los destinatarios.',
    'Eventos del píxel de apertura, deduplicados por mensaje dentro de tracking.openDedupSeconds.',
  ],
  recipient_clicks: [
    'Destinatarios que hicieron clic en al menos un enlace con seguimiento.',
    'Mensajes distintos con un clic. La tasa es Clics (destinatarios) ÷ Enviados.',
  ],
  person_clicks: [
    'Personas que hicieron clic, contando también a los lectores de un mensaje reenviado (un navegador cuenta una vez).',
    'Navegadores distintos que hicieron clic (la cookie de seguimiento o, si no, la dirección y el navegador). La tasa es Clics (personas) ÷ Enviados.',
  ],
  total_clicks: ['Cada clic en un enlace con seguimiento, incluidos los repetidos.', 'Eventos de clic.'],
  reactivity: ['Cuántos de los destinatarios que abrieron hicieron también clic.', 'Clics (destinatarios) ÷ Aperturas (destinatarios).'],
  forwards: ['Personas que hicieron clic sin ser el destinatario: el mensaje se reenvió.', 'Clics (personas) − Clics (destinatarios), nunca por debajo de 0.'],
  opt_outs: [
    'Destinatarios que se dieron de baja a través de este mensaje: su enlace de baja, la baja en un clic de su buzón o un enlace de baja voluntaria.',
    'Eventos de baja del mensaje. La tasa es Bajas ÷ Enviados.',
  ],
  mirror_views: ['Veces que se leyó el mensaje en su página espejo («verlo en el navegador»).', 'Eventos de la página espejo.'],
  opens: [
    'Aperturas a lo largo del tiempo, contando cada apertura (como Aperturas (todas)).',
    'Eventos del píxel de apertura por hora (por día pasados cuatro días).',
  ],
  humanOpens: [
    'Aperturas a lo largo del tiempo sin las de robots conocidos (analizadores de enlaces, pasarelas de seguridad de correo).',
    'Eventos de apertura no marcados como robot.',
  ],
  clicks: ['Clics a lo largo del tiempo, contando cada clic (como Clics (todos)).', 'Eventos de clic por hora (por día pasados cuatro días).'],
  humanClicks: ['Clics a lo largo del tiempo sin los de robots conocidos.', 'Eventos de clic no marcados como robot.'],
  'rate-delivered': [
    'Proporción de los mensajes enviados que aceptaron los servidores de destino.',
    'Enviados ÷ Procesados, sobre los envíos iniciados en el periodo.',
  ],
  'rate-bounce': ['Proporción de los mensajes enviados que fallaron (rechazados en el momento o rebotados más tarde).', 'Fallidos ÷ Procesados.'],
  'rate-open': ['Proporción de los mensajes entregados que su destinatario abrió (un clic cuenta como apertura).', 'Aperturas (destinatarios) ÷ Enviados.'],
  'rate-click': ['Proporción de los mensajes entregados en los que su destinatario hizo clic en un enlace.', 'Clics (destinatarios) ÷ Enviados.'],
  'rate-complaint': [
    'Proporción de los mensajes entregados que su destinatario denunció como spam (bucles de retroalimentación de los proveedores de correo). Manténgala por debajo del 0,1 %.',
    'Direcciones del envío puestas en la lista de bloqueo por una queja ÷ Enviados.',
  ],
  'rate-unsubscribe': ['Proporción de los mensajes entregados a través de los cuales su destinatario se dio de baja.', 'Bajas ÷ Enviados.'],
  messages: [
    'Un número de mensajes: en el informe de rendimiento, los que el MTA intentó entregar en esa hora; en el informe de fallos, los que fallaron por ese motivo.',
    'Rendimiento: transacciones SMTP intentadas (los contadores del MTA por franja horaria). Fallos: logs de envío fallidos por motivo.',
  ],
  connections: ['Conexiones SMTP que el MTA abrió con los servidores del dominio.', 'Conexiones por dominio y franja horaria, contadas por el MTA.'],
  soft_errors: [
    'Mensajes rechazados por ahora (buzón lleno, servidor ocupado o greylisting): se vuelven a intentar hasta que termina la validez del envío.',
    'Respuestas SMTP 4xx y errores de red por franja horaria.',
  ],
  hard_errors: ['Mensajes rechazados definitivamente (una dirección desconocida, un dominio que no existe).', 'Respuestas SMTP 5xx por franja horaria.'],
  timeouts: ['Conexiones o transacciones que no obtuvieron respuesta a tiempo.', 'Tiempos de espera agotados por dominio y franja horaria.'],
  refused_connections: [
    'Conexiones que los servidores del dominio rechazaron o cerraron antes de que se pudiera entregar un mensaje.',
    'Conexiones rechazadas por dominio y franja horaria.',
  ],
  error_rate: [
    'Proporción de los intentos hacia un dominio que fallaron, temporal o definitivamente. Una tasa alta hace que el MTA reduzca el ritmo para ese dominio.',
    '(Errores temporales + Errores definitivos) ÷ Mensajes.',
  ],
  share: ['La parte de la fila en el total de la tabla.', 'Fila ÷ total de la columna × 100.'],
  subscribed: [
    'Suscripciones al servicio ese día (formularios, API, consola, importaciones).',
    'Eventos del historial de suscripciones con la acción «suscribir», por día de la zona horaria del informe.',
  ],
  confirmed: [
    'Suscripciones con doble opt-in confirmadas mediante su enlace ese día.',
    'Eventos del historial de suscripciones con la acción «confirmar», por día de la zona horaria del informe.',
  ],
  unsubscribed: [
    'Destinatarios que dejaron el servicio ese día, por cualquier vía (enlace, baja en un clic, queja, consola).',
    'Eventos del historial de suscripciones con la acción «dar de baja», por día de la zona horaria del informe.',
  ],
  expired: [
    'Suscripciones que terminaron porque se agotó la validez del servicio.',
    'Eventos del historial de suscripciones con la acción «caducar», por día de la zona horaria del informe.',
  ],
  net: ['Cómo cambió el número de suscriptores ese día.', 'Suscritos − Dados de baja − Caducados.'],
  rate: [
    'La columna de tasa de un informe: la cifra como proporción de su base, indicada con cada cifra anterior.',
    'Cifra ÷ base × 100, con un decimal; – cuando la base es 0.',
  ],
};

export const DEFINITIONS: Record<keyof typeof DEFINITION_MESSAGES, string> = {
  'definitions.title': 'Qué significan las cifras',
  'definitions.intro':
    'Cada cifra de los informes y de la página de inicio, en palabras sencillas, con la forma en que Herald la calcula (las fórmulas de Adobe Campaign).',
  'definitions.group.messages': 'Mensajes',
  'definitions.group.tracking': 'Aperturas y clics',
  'definitions.group.rates': 'Tasas',
  'definitions.group.operations': 'Envío y suscripciones',
  'definitions.how': 'Cómo se calcula:',
  'definitions.link': '¿Qué es esto?',
  'definitions.link_named': '¿Qué es «{name}»?',
  ...definitionTexts(FIGURES),
};
